"""DIET and TED that load in seconds: Rasa 3.6's own classes, with the model built for prediction
only when a trained model is loaded.

Rasa builds a loaded DIET or TED model by *training it on one example* (``model.fit``) before it
reads the weights, which traces the whole training step, gradients and all, as TensorFlow
graphs. Profiled on the shop's model (2-core machine), that tracing is about 86 % of loading Rasa's
model (62 of 72 s): DIET's entity CRF loss alone is 28 s. Prediction never runs it.

Here the model's variables are made by one *eager* prediction (no graph traced), the trained
weights are read into them (the checkpoint's optimizer state and training-only parts are left
unread: prediction does not use them), the label embeddings are computed from the loaded weights,
and the prediction step is traced once, as Rasa does. Predictions are the same as with Rasa's
load (a Rasa-side test compares both on the shop's model). Training is Rasa's, unchanged;
fine-tuning (``rasa train --finetune``) loads the Rasa way.

``FERNHILL_RASA_FAST_LOAD=false`` loads the Rasa way everywhere.

Pipeline and policy entries (in place of ``DIETClassifier`` and ``TEDPolicy``)::

    - name: rasa_components.fast_load.FastLoadDIETClassifier
    - name: rasa_components.fast_load.FastLoadTEDPolicy
"""

from __future__ import annotations

import logging
import os
from typing import Any

import tensorflow as tf
from rasa.core.policies.ted_policy import TED, TEDPolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIET, DIETClassifier
from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel
from rasa.utils.train_utils import create_data_generators

log = logging.getLogger(__name__)
SETTING = "FERNHILL_RASA_FAST_LOAD"


def fast_load_enabled() -> bool:
    """False when ``FERNHILL_RASA_FAST_LOAD`` says so (``false``, ``0``, ``no``, ``off``)."""
    return os.environ.get(SETTING, "true").strip().lower() not in {"false", "0", "no", "off"}


def load_for_prediction(
    model_class: type[RasaModel],
    model_file_name: str,
    predict_data_example: RasaModelData,
    *args: Any,
    **kwargs: Any,
) -> RasaModel:
    """A ``model_class`` model with the weights of ``model_file_name``, ready to predict, built
    without tracing the training step.

    Args:
        model_class: ``DIET`` or ``TED`` (or a subclass).
        model_file_name: The checkpoint Rasa saved after training.
        predict_data_example: One example in prediction's shape (Rasa keeps it with the model).
        *args: The model's arguments, as Rasa passes them to ``RasaModel.load``.
        **kwargs: The model's keyword arguments, as Rasa passes them.
    """
    config = kwargs.get("config", {})
    model = model_class(*args, **kwargs)
    model.compile(
        optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)),
        run_eagerly=config.get(RUN_EAGERLY),
    )
    batches, _ = create_data_generators(
        model_data=predict_data_example, batch_sizes=1, epochs=1, shuffle=False
    )
    batch = next(iter(batches))[0]
    traced = model._run_eagerly
    model._run_eagerly = True
    model._rasa_predict(batch)  # makes the variables prediction reads; traces nothing
    model._run_eagerly = traced
    model.load_weights(model_file_name).expect_partial()
    # The label embeddings above came from the untrained weights: compute them again, and trace
    # the prediction step only now (a traced step keeps the tensors it was traced with).
    model.prepared_for_prediction = False
    model._tf_predict_step = None
    model.run_inference(predict_data_example)
    return model


class _FastLoad:
    """``RasaModel.load`` for prediction through :func:`load_for_prediction`."""

    @classmethod
    def load(
        cls,
        model_file_name: str,
        model_data_example: RasaModelData,
        predict_data_example: RasaModelData | None = None,
        finetune_mode: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> RasaModel:
        if finetune_mode or predict_data_example is None or not fast_load_enabled():
            return super().load(  # type: ignore[misc]
                model_file_name,
                model_data_example,
                predict_data_example,
                finetune_mode,
                *args,
                **kwargs,
            )
        log.debug("loading %s for prediction from %s", cls.__name__, model_file_name)
        return load_for_prediction(
            cls,
            model_file_name,
            predict_data_example,
            *args,
            **kwargs,
        )


class FastLoadDIET(_FastLoad, DIET):
    """Rasa's DIET model, loaded for prediction without tracing its training step."""


class FastLoadTED(_FastLoad, TED):
    """Rasa's TED model, loaded for prediction without tracing its training step."""


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER,
        DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR,
    ],
    is_trainable=True,
)
class FastLoadDIETClassifier(DIETClassifier):
    """Rasa's ``DIETClassifier`` (same training, same predictions) that loads in seconds."""

    @staticmethod
    def model_class() -> type[RasaModel]:
        return FastLoadDIET


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITH_END_TO_END_SUPPORT, is_trainable=True
)
class FastLoadTEDPolicy(TEDPolicy):
    """Rasa's ``TEDPolicy`` (same training, same predictions) that loads in seconds."""

    @staticmethod
    def model_class() -> type[TED]:
        return FastLoadTED
