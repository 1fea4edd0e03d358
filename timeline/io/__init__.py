"""Events in and out: import (iCalendar, JSON), export, and the curated seeds."""
