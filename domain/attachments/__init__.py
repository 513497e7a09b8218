"""Files attached to records (photos of a problem, scanned ballots, disclosure documents): checked, hashed, stored."""
