"""Open data: each public register of a plan as a dataset with CSV (+ CSV on the Web
metadata), JSON and XLSX distributions; download counts and feedback."""
