"""The command-line layer: parses, prompts and chooses a renderer; decides nothing itself."""
