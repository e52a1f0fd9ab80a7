"""The guide for students: its figures in words and the exercises' answers, checked."""
