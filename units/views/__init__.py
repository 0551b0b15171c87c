"""The units app's pages: 本级政府 and the office's master data (基础数据: units, groups, accounts)."""
