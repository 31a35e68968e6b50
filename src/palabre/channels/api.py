"""REST API: channels."""

from fastapi import APIRouter

router = APIRouter()
