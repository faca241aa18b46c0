"""`python -m course`: the same command line as `course`, for whoever starts it with a given
Python (the hub starts each site's service this way)."""

from course.cli import main

if __name__ == "__main__":
    main()
