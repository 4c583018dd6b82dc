"""What the app runs on: configuration, extensions, database, security, errors, logging, language, backup."""
