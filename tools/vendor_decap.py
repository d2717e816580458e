"""Vendor Decap CMS's bundle into catalog/vendor/decap-cms-<version>/ (issue #26).

    python tools/vendor_decap.py

Runs `npm pack decap-cms@<version>` (npm checks the tarball against the registry's integrity),
checks the tarball's SHA-512 against the integrity pinned in catalog/publish/cms.py (DECAP_INTEGRITY: a
lock entry, as package-lock.json writes it) and copies dist/decap-cms.js and its licence notice,
printing each file's SHA-256 for DECAP_FILES. Needs npm and the network; the site build never does.
To move to a new version: change DECAP_VERSION and DECAP_INTEGRITY (`npm view decap-cms@<v>
dist.integrity`), run this, paste the printed hashes into DECAP_FILES, and run tests/test_cms.py.
"""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from catalog.publish import cms  # noqa: E402


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", f"decap-cms@{cms.DECAP_VERSION}", "--silent"], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)
        tarball = Path(tmp) / f"decap-cms-{cms.DECAP_VERSION}.tgz"
        digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
        if digest != cms.DECAP_INTEGRITY:
            print(f"vendor_decap: {tarball.name} has integrity {digest}, the lock says {cms.DECAP_INTEGRITY}", file=sys.stderr)
            return 1
        cms.VENDOR_DIR.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tarball) as tar:
            for name in cms.DECAP_FILES:
                member = tar.extractfile(f"package/dist/{name}")
                assert member is not None
                data = member.read()
                (cms.VENDOR_DIR / name).write_bytes(data)
                print(f'    "{name}": "{hashlib.sha256(data).hexdigest()}",')
    return 0


if __name__ == "__main__":
    sys.exit(main())
