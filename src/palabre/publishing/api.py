"""REST API: publishing."""

from fastapi import APIRouter

router = APIRouter()
