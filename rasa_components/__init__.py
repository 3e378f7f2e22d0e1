"""Custom Rasa 3.6 graph components of the Fernhill assistant.

Referenced from config.yml by module path, e.g.
``rasa_components.minilm_featurizer.MiniLMFeaturizer`` (run Rasa with the project root on
PYTHONPATH). Nothing is imported here so that importing the package stays cheap.
"""
