"""The register of documents: their owners, assets, reports, and the tracker import and export."""
