"""Shoppers' data under their control: personal data masked in logs and exports
(:mod:`bot.privacy.masking`), retention limits and their purge (:mod:`bot.privacy.retention`),
and export and erasure of one shopper's data (:mod:`bot.privacy.shopper_data`). See
docs/privacy.md."""
