"""What coordinators read: per-question results from nbgrader's gradebook and their exports."""
