"""CSV and XLSX export of every list, and import of measurements from a spreadsheet."""
