"""REST API: team."""

from fastapi import APIRouter

router = APIRouter()
