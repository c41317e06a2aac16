"""Real-browser tests: every course notebook opened, run and used in JupyterLab (headless Chromium)."""
