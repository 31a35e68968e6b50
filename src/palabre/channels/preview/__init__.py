from palabre.channels.preview.adapter import PreviewAdapter

__all__ = ["PreviewAdapter"]
