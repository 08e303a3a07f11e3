"""Salesforce's REST API: its paths and version (`api`), the HTTP client with OAuth and
the org's limits (`http`), the few objects leadtui reads (`objects`), what maps to what
(`mapping`), and the connector."""

from leadtui.crm.salesforce.connector import Salesforce
from leadtui.crm.salesforce.http import SalesforceHttp

__all__ = ["Salesforce", "SalesforceHttp"]
