"""gialai-remote: the remote-work guidance of Công văn 415/STTTT-CNTT (Gia Lai, 2020) as a CLI."""

__version__ = "0.1.0"
