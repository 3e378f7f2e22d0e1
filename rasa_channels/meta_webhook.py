"""What Meta's webhooks (WhatsApp Cloud API, Messenger, Instagram) share as Rasa input channels:
the verification ``GET`` and the ``X-Hub-Signature-256`` check of every delivery."""

from __future__ import annotations

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.meta import SIGNATURE_HEADER, verification_challenge
from bot.channels.settings import MessengerSettings, WhatsAppSettings
from bot.channels.signatures import valid_meta_signature
from rasa_channels.messaging import MessagingInput, Refusal


class MetaWebhookInput(MessagingInput):
    """An input channel whose platform is Meta: verified by ``hub.*``, signed with the app
    secret."""

    settings: WhatsAppSettings | MessengerSettings

    async def verify(self, request: Request) -> HTTPResponse:
        params = {key: request.args.get(key) for key in request.args}
        challenge = verification_challenge(params, self.settings.verify_token)
        if challenge is None:
            return response.json({"error": "wrong hub.mode or hub.verify_token"}, status=403)
        return response.text(challenge)

    def authenticate(self, request: Request) -> None:
        signature = request.headers.get(SIGNATURE_HEADER)
        if not signature:
            raise Refusal(401, f"missing {SIGNATURE_HEADER}")
        if not valid_meta_signature(self.settings.app_secret, request.body, signature):
            raise Refusal(403, f"wrong {SIGNATURE_HEADER}")
