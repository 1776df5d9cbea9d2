"""KHCN: information system for Vietnamese Departments of Science and Technology."""
