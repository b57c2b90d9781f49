"""troposphere_fargate: CloudFormation templates for a Fargate service without a public IP.

Each layer is a pure function from a frozen config to a ``troposphere.Template``::

    from troposphere_fargate import NetworkConfig, network_template

    template = network_template(NetworkConfig(max_azs=2))

:mod:`troposphere_fargate.build` renders, validates and writes every layer as versioned YAML.
"""

from .config import ConfigError, NetworkConfig, ProductConfig
from .network import network_template

__version__ = "0.2.0"

__all__ = ["ConfigError", "NetworkConfig", "ProductConfig", "__version__", "network_template"]
