"""HubSpot's CRM API: its paths (`api`), the HTTP client and its limits (`http`), the few
objects leadtui reads (`objects`), what maps to what (`mapping`), and the connector."""

from leadtui.crm.hubspot.connector import HubSpot
from leadtui.crm.hubspot.http import HubSpotHttp

__all__ = ["HubSpot", "HubSpotHttp"]
