"""Where :mod:`troposphere_fargate.errors` was: its names, importable from here as before."""

from ..errors import (
    RELEASE_NAME as RELEASE_NAME,
)
from ..errors import (
    ConfigError as ConfigError,
)
from ..errors import (
    expect as expect,
)
from ..errors import (
    expect_template as expect_template,
)
from ..errors import (
    expect_texts as expect_texts,
)
from ..errors import (
    expect_version as expect_version,
)
