"""Drawings shared by the web pages and the wall boards: flow charts, progress charts, QR codes."""
