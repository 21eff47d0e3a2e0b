"""The HTTP API and the dashboard (`diurna serve`)."""
