"""Factor 4 - Backing services: attached resources, swapped by config.

One module per rule, named after it (`hard_coded_service_endpoint.py` holds TF401
hard-coded-service-endpoint).
"""

from twelvefold.rules.f04_backing_services.hard_coded_data_path import HardCodedDataPath
from twelvefold.rules.f04_backing_services.hard_coded_service_endpoint import (
    HardCodedServiceEndpoint,
)

__all__ = ["HardCodedDataPath", "HardCodedServiceEndpoint"]
