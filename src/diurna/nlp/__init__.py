"""The spaCy pipeline and what Diurna adds to a Doc: token attributes, rule entities, places, time expressions."""
