"""What leaves the app: the roadmap's content, its PDF and DOCX, charts, and table exports."""
