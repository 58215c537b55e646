"""ERP export import (CSV) and the demo data generator."""
