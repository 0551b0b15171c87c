"""The upload checks (size, type by magic bytes, zip bombs) live in core.uploads, where the units app's account
list can use them too; the importers keep importing them from here."""
from core.uploads import (  # noqa: F401
    CHUNK,
    EMPTY_ZIP_MAGIC,
    MAX_RATIO,
    MAX_UNCOMPRESSED_BYTES,
    MAX_UPLOAD_BYTES,
    MAX_ZIP_ENTRIES,
    OLE_MAGIC,
    PDF_MAGIC,
    RATIO_FLOOR,
    ZIP_MAGIC,
    MiB,
    check_office_magic,
    check_size,
    check_zip,
)
