"""The local open data catalogue (LKOD) per DCAT-AP-CZ 2024-05-28, harvested by NKOD."""
