"""deployer: a French assistant to deploy a digital citizen-participation tool."""

__version__ = "0.1.0"
