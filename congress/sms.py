"""SMS providers, chosen by one setting, ``SMS_URL`` (like ``EMAIL_URL``):

- ``console://``: each message is logged (development);
- ``file:///DIR``: each message is appended as one JSON object to ``DIR/sms.jsonl`` (the
  embedded default, under var/; also what tests read);
- ``tencent://SECRET_ID:SECRET_KEY@sms.tencentcloudapi.com?sdk_app_id=1400...&sign=县人大常委会
  &template=123456&region=ap-guangzhou``: Tencent Cloud SMS through its official SDK. The
  signature and template are those approved in the Tencent console; a reminder kind may have
  its own template (``SMS_TEMPLATES``: kind=template id). Every template takes two parameters:
  {1} what the reminder is about, {2} the link. ``scheme=http`` points the SDK at a stand-in
  of the provider (tests).

A provider's ``send`` returns the provider's id of the accepted message, or raises
``TransientError`` (try again later: network, rate limit, provider busy) or ``PermanentError``
(this message will never go: an empty number, a rejected template), each with the reason.
"""

import json
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """A message the provider did not accept; the text is its reason."""


class TransientError(SmsError):
    pass


class PermanentError(SmsError):
    pass


@dataclass(frozen=True)
class Sms:
    phone: str
    text: str  # the whole message, as the file and console providers write it
    params: tuple[str, ...]  # the template parameters, for providers that send by template
    kind: str  # the reminder kind (chooses the template)
    key: str  # idempotency key: the same key is one message


@dataclass(frozen=True)
class Receipt:
    """A provider's report on a message it accepted: delivered to the phone, or not and why."""

    provider_id: str
    delivered: bool
    reason: str = ""


class ConsoleProvider:
    name = "console"
    real = False

    def send(self, sms: Sms) -> str:
        logger.info("SMS to %s: %s", sms.phone, sms.text)
        return sms.key

    def receipts(self) -> list[Receipt]:
        return []


class FileProvider:
    """Appends one JSON line per message to DIR/sms.jsonl. A message whose key is already in
    the file is not written again, so a retried delivery never appears twice."""

    name = "file"
    real = False
    _lock = threading.Lock()

    def __init__(self, directory: str):
        self.path = Path(directory) / "sms.jsonl"

    def _keys(self) -> set[str]:
        if not self.path.exists():
            return set()
        with self.path.open(encoding="utf-8") as f:
            return {json.loads(line).get("key") for line in f if line.strip()}

    def send(self, sms: Sms) -> str:
        if not sms.phone:
            raise PermanentError("no phone number")
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if sms.key in self._keys():
                return sms.key
            line = json.dumps(
                {"phone": sms.phone, "text": sms.text, "kind": sms.kind, "params": list(sms.params), "key": sms.key},
                ensure_ascii=False,
            )
            with self.path.open("a", encoding="utf-8") as f:
                f.write(line + "\n")
                f.flush()
                os.fsync(f.fileno())
        return sms.key

    def receipts(self) -> list[Receipt]:
        return []


# Tencent Cloud error codes that may pass if tried again later; every other code is final.
TENCENT_TRANSIENT = (
    "InternalError",
    "LimitExceeded",
    "RequestLimitExceeded",
    "ClientNetworkError",
    "ServerNetworkError",
)


class TencentProvider:
    name = "tencent"
    real = True

    def __init__(self, url: str):
        parts = urlsplit(url)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        self.secret_id = unquote(parts.username or "")
        self.secret_key = unquote(parts.password or "")
        self.endpoint = parts.hostname + (f":{parts.port}" if parts.port else "") if parts.hostname else ""
        self.scheme = query.get("scheme", "https")
        self.region = query.get("region", "ap-guangzhou")
        self.sdk_app_id = query.get("sdk_app_id", "")
        self.sign = query.get("sign", "")
        self.template = query.get("template", "")
        self.timeout = int(query.get("timeout", "10"))

    def _client(self):
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import sms_client

        http = HttpProfile(protocol=self.scheme, endpoint=self.endpoint or None, reqTimeout=self.timeout)
        return sms_client.SmsClient(
            credential.Credential(self.secret_id, self.secret_key), self.region, ClientProfile(httpProfile=http)
        )

    def template_for(self, kind: str) -> str:
        return settings.SMS_TEMPLATES.get(kind, self.template)

    def send(self, sms: Sms) -> str:
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
        from tencentcloud.sms.v20210111 import models

        request = models.SendSmsRequest()
        request.SmsSdkAppId = self.sdk_app_id
        request.SignName = self.sign
        request.TemplateId = self.template_for(sms.kind)
        request.TemplateParamSet = list(sms.params)
        request.PhoneNumberSet = [f"+86{sms.phone}"]
        request.SessionContext = sms.key  # comes back in the receipt
        try:
            response = self._client().SendSms(request)
        except TencentCloudSDKException as exc:
            reason = f"{exc.get_code()}: {exc.get_message()}"
            if (exc.get_code() or "").startswith(TENCENT_TRANSIENT) or not exc.get_code():
                raise TransientError(reason) from exc
            raise PermanentError(reason) from exc
        except Exception as exc:  # noqa: BLE001 - the SDK lets a broken connection through as is
            raise TransientError(f"{type(exc).__name__}: {exc}") from exc
        status = (response.SendStatusSet or [None])[0]
        if status is None:
            raise TransientError("no send status in the answer")
        if status.Code == "Ok":
            return status.SerialNo
        reason = f"{status.Code}: {status.Message}"
        if status.Code.startswith(TENCENT_TRANSIENT):
            raise TransientError(reason)
        raise PermanentError(reason)

    def receipts(self) -> list[Receipt]:
        """Pull the delivery reports Tencent holds (each report is handed out once)."""
        from tencentcloud.sms.v20210111 import models

        request = models.PullSmsSendStatusRequest()
        request.Limit = 100
        request.SmsSdkAppId = self.sdk_app_id
        response = self._client().PullSmsSendStatus(request)
        return [
            Receipt(s.SerialNo, s.ReportStatus == "SUCCESS", "" if s.ReportStatus == "SUCCESS" else s.Description or "")
            for s in response.PullSmsSendStatusSet or []
        ]


def provider(url: str | None = None):
    """The provider ``SMS_URL`` names."""
    url = url if url is not None else settings.SMS_URL
    scheme = urlsplit(url).scheme
    if scheme == "console":
        return ConsoleProvider()
    if scheme == "file":
        return FileProvider(unquote(urlsplit(url).path))
    if scheme == "tencent":
        return TencentProvider(url)
    raise ValueError(f"SMS_URL: unknown provider {scheme!r} (console://, file:///DIR or tencent://...)")


def is_real(url: str | None = None) -> bool:
    """Whether SMS really leave for phones (not the console or a file)."""
    try:
        return provider(url).real
    except ValueError:
        return False
