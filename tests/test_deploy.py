"""The production shape, checked without Docker: docker-compose.yml and the Dockerfile name only
things that exist in the project, every setting they pass is one the settings read, and the
production environment passes Django's deploy checks while nonsense is refused."""

import importlib
import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from celery.app.utils import find_app
from django.apps import apps
from django.core.management import get_commands
from django.urls import resolve

from congress.views import health

BASE_DIR = Path(__file__).resolve().parent.parent
COMPOSE = BASE_DIR / "docker-compose.yml"
DOCKERFILE = BASE_DIR / "Dockerfile"
ENV_EXAMPLE = BASE_DIR / ".env.example"
SETTINGS_SOURCE = (BASE_DIR / "congress" / "settings.py").read_text(encoding="utf-8")
# The environment variables the settings read: env.str("NAME"), env.db("NAME"), Env().str("NAME")...
SETTINGS_ENV_NAMES = frozenset(re.findall(r"""\b(?:env|Env\(\))\.\w+\(\s*["'](\w+)["']""", SETTINGS_SOURCE))
# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}
INTERPOLATION = re.compile(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}")


def load_compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def services() -> dict:
    return load_compose()["services"]


def app_services() -> dict:
    """The services that run the project's own image (web, worker, beat, migrate)."""
    web_image = services()["web"]["image"]
    return {name: svc for name, svc in services().items() if svc.get("image") == web_image or "build" in svc}


def command(service: dict) -> list[str]:
    cmd = service.get("command")
    assert cmd, "every service of the project's image says what it runs"
    return shlex.split(cmd) if isinstance(cmd, str) else [str(part) for part in cmd]


def healthcheck_text(service: dict) -> str:
    test = service["healthcheck"]["test"]
    return test if isinstance(test, str) else " ".join(str(part) for part in test)


def option(cmd: list[str], *names: str) -> str | None:
    """The value of ``-A x``, ``--app x`` or ``--app=x`` in a command line."""
    for i, part in enumerate(cmd):
        for name in names:
            if part == name and i + 1 < len(cmd):
                return cmd[i + 1]
            if part.startswith(name + "="):
                return part.split("=", 1)[1]
    return None


def mounts(service: dict) -> dict[str, str]:
    """Container path -> volume name of a service's volumes."""
    result = {}
    for volume in service.get("volumes", []):
        source, target = volume.split(":")[:2]
        result[target] = source
    return result


def env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's variable substitution, for the forms this file uses."""

    def substitute(match):
        name, op, arg = match.groups()
        current = variables.get(name)
        if op in (":-", ":?"):
            current = current or None
        if current is None:
            if op and op.endswith("?"):
                raise AssertionError(f"compose needs {name}: {arg}")
            return arg or ""
        return current

    return INTERPOLATION.sub(substitute, value.replace("$$", "\0")).replace("\0", "$")


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    pairs = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            instruction, _, args = line.partition(" ")
            pairs.append((instruction.upper(), args.strip()))
    return pairs


def random_secret_key() -> str:
    return secrets.token_urlsafe(60)[:60]


def clean_env(tmp_path, **extra) -> dict[str, str]:
    """The environment of a manage.py subprocess: this process's, without anything the
    settings read (a developer's DATABASE_URL, DEBUG...), plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV_NAMES and not k.startswith("CELERY_")}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(DJANGO_SETTINGS_MODULE="congress.settings", VAR_DIR=str(tmp_path / "var"), PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


def manage(tmp_path, *args: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own manage.py, with our own interpreter
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=clean_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


PRODUCTION_ENV = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "renda.example.cn",
    "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/x",  # check --deploy needs no connection
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "BEHIND_PROXY": "true",
}


# --- docker-compose.yml ------------------------------------------------------------------


def test_compose_has_the_production_services():
    assert {"postgres", "redis", "cache", "web", "worker", "beat", "migrate", "nginx"} <= set(services())
    assert services()["postgres"]["image"] == "postgres:17"
    assert services()["redis"]["image"] == services()["cache"]["image"] == "redis:7"
    assert set(app_services()) == {"web", "worker", "beat", "migrate"}
    assert "pg_isready" in healthcheck_text(services()["postgres"])
    for name in ("redis", "cache"):
        assert "redis-cli" in healthcheck_text(services()[name]) and "ping" in healthcheck_text(services()[name])
    assert any(target == "/var/lib/postgresql/data" for target in mounts(services()["postgres"]))


def redis_options(name: str) -> str:
    return " ".join(command(services()[name]))


def test_broker_and_cache_are_separate_redis_with_a_password_and_their_own_memory_policy():
    broker, cache = redis_options("redis"), redis_options("cache")
    assert "--maxmemory-policy noeviction" in broker and "--appendonly yes" in broker
    assert "--maxmemory-policy allkeys-lru" in cache and "--appendonly no" in cache
    for name, options in (("redis", broker), ("cache", cache)):
        assert re.search(r"--maxmemory \d+[mg]b", options), name
        assert "--requirepass" in options and "/run/secrets/redis_password" in options, name
        assert "redis_password" in services()[name]["secrets"], name
        assert "/run/secrets/redis_password" in healthcheck_text(services()[name]), name
    env = services()["web"]["environment"]
    assert env["REDIS_URL"].startswith("redis://redis:") and env["CACHE_URL"].startswith("redis://cache:")
    assert env["REDIS_PASSWORD_FILE"] == "/run/secrets/redis_password"


def test_every_long_running_service_has_a_healthcheck_rotated_logs_and_limits():
    for name, service in services().items():
        assert service["logging"]["options"]["max-size"] and service["logging"]["options"]["max-file"], name
        if name == "migrate":
            continue
        assert service.get("healthcheck"), f"{name} has no healthcheck"
        limits = service["deploy"]["resources"]["limits"]
        assert limits["memory"] and limits["cpus"], name


def test_beat_and_nginx_are_checked_by_what_they_do():
    beat = healthcheck_text(services()["beat"])
    assert "check_beat" in beat and "check_beat" in get_commands()
    assert option(command(services()["beat"]), "--schedule", "-s") in beat
    nginx = healthcheck_text(services()["nginx"])
    path = re.search(r"http://127\.0\.0\.1(/[\w-]+)", nginx).group(1)
    conf = (BASE_DIR / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert re.search(rf"location = {path} \{{[^}}]*return 200", conf), f"nginx answers {path} itself"


def test_backups_have_a_volume_and_the_image_has_the_databases_tools():
    for name in ("web", "worker"):
        backup_dir = services()[name]["environment"]["BACKUP_DIR"]
        assert mounts(services()[name])[backup_dir] == "backups", name
    assert "backups" in load_compose()["volumes"]
    runs = " ".join(args for instruction, args in dockerfile_instructions() if instruction == "RUN")
    assert "postgresql-client" in runs
    # pg_dump of the image and the server are of one major version (Debian trixie: 17).
    assert "trixie" in dockerfile_instructions()[0][1] and services()["postgres"]["image"].endswith(":17")


def test_compose_file_is_valid_for_docker_compose(tmp_path):
    """`docker-compose config` (Debian's package; scripts/test installs it) accepts the file
    with .env.example's values, and refuses a broken one (so the check can fail)."""
    import shutil

    tool = shutil.which("docker-compose")
    if tool is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("docker-compose is missing (scripts/test installs Debian's package as root)")
        pytest.skip("docker-compose is not installed")
    env_file = tmp_path / "env"
    env_file.write_text(ENV_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")

    def config(path: Path) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603
            [tool, "-f", str(path), "--project-directory", str(BASE_DIR), "--env-file", str(env_file), "config", "-q"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    done = config(COMPOSE)
    assert done.returncode == 0, done.stderr
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(COMPOSE.read_text(encoding="utf-8").replace("    healthcheck:\n", "    healthchek:\n", 1))
    assert config(broken).returncode != 0


def test_gunicorn_serves_the_projects_wsgi_application():
    cmd = command(services()["web"])
    assert cmd[0] == "gunicorn"
    targets = [part for part in cmd[1:] if re.fullmatch(r"[\w.]+:\w+", part)]
    assert len(targets) == 1, f"one WSGI application in {cmd}"
    module_name, attr = targets[0].split(":")
    application = getattr(importlib.import_module(module_name), attr)
    assert callable(application)
    assert option(cmd, "--bind", "-b") == "0.0.0.0:8000"


def test_web_runs_sync_workers_behind_nginx_that_buffers_for_them():
    """The worker the hall's confirm burst is measured with (bench/voting), and what it needs: a
    sync worker serves one request at a time, so the proxy in front reads requests whole and
    buffers answers (a slow phone or upload would otherwise hold a worker)."""
    from gunicorn.util import load_class
    from gunicorn.workers.sync import SyncWorker

    cmd = command(services()["web"])
    worker_class = option(cmd, "--worker-class", "-k")
    assert worker_class == "sync", f"web runs gunicorn's stock sync worker: {cmd}"
    assert load_class(worker_class) is SyncWorker
    assert option(cmd, "--threads") in (None, "1"), "more threads make gunicorn run gthread instead"
    nginx = services()["nginx"]
    assert "web" in nginx["depends_on"]
    assert mounts(nginx)["/etc/nginx/conf.d/default.conf"] == "./deploy/nginx.conf"
    conf = (BASE_DIR / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert "proxy_pass http://congress_web;" in conf
    assert not re.search(r"proxy_(request_)?buffering\s+off", conf)


def test_celery_services_load_the_projects_celery_app():
    from congress.celery import app as celery_app

    expected = {"worker": "worker", "beat": "beat"}
    for name, subcommand in expected.items():
        cmd = command(services()[name])
        assert cmd[0] == "celery", name
        app_name = option(cmd, "-A", "--app")
        assert app_name == "congress", name
        assert find_app(app_name) is celery_app, f"-A {app_name} does not resolve to congress.celery.app"
        assert subcommand in cmd, name


def test_beat_keeps_its_schedule_on_a_volume():
    beat = services()["beat"]
    schedule = option(command(beat), "--schedule", "-s")
    assert schedule, "beat names its schedule file"
    folder = str(Path(schedule).parent)
    assert folder in mounts(beat), f"{folder} is not a volume of beat"
    assert mounts(beat)[folder] in load_compose()["volumes"]


def test_migrate_runs_once_before_the_others():
    cmd = command(services()["migrate"])
    assert cmd[:3] == ["python", "manage.py", "migrate"]
    assert "migrate" in get_commands()
    assert services()["migrate"].get("restart") == "no"
    for name in ("web", "worker", "beat"):
        depends = services()[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
        for needed in ("postgres", "redis", "cache"):
            assert depends[needed]["condition"] == "service_healthy", (name, needed)


def test_web_healthcheck_hits_healthz():
    text = healthcheck_text(services()["web"])
    urls = re.findall(r"https?://[\w.\[\]:-]+(/[^\s'\"]*)", text)
    assert urls, f"no URL in the web healthcheck: {text}"
    for path in urls:
        assert path == "/healthz"
        assert resolve(path).func is health.healthz
    # It must get past SECURE_SSL_REDIRECT and ALLOWED_HOSTS, as the proxy's requests do.
    assert "X-Forwarded-Proto" in text
    assert "ALLOWED_HOSTS" in text
    assert services()["web"]["environment"]["BEHIND_PROXY"] == "true"


def test_every_environment_variable_is_read_by_the_settings():
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "VAR_DIR"} <= SETTINGS_ENV_NAMES
    for name, service in app_services().items():
        environment = service["environment"]
        assert isinstance(environment, dict), name
        for variable in environment:
            # X_FILE is read by the settings' FileAwareEnv wherever they read X.
            assert variable in SETTINGS_ENV_NAMES or variable.removesuffix("_FILE") in SETTINGS_ENV_NAMES, (
                f"{name}: {variable} is set in docker-compose.yml but congress/settings.py never reads it"
            )
        assert environment["DEBUG"] == "false", name


def test_media_and_secrets_are_where_the_settings_look():
    for name in ("web", "worker"):
        service = services()[name]
        media_root = service["environment"]["MEDIA_ROOT"]
        assert media_root in mounts(service), f"{name}: MEDIA_ROOT is not on a volume"
        assert mounts(service)[media_root] == "media"
    assert "media" in load_compose()["volumes"]
    # Secrets come from files mounted as Docker secrets, never from the compose file or .env.
    declared = load_compose()["secrets"]
    for name, service in app_services().items():
        env = service["environment"]
        assert "SECRET_KEY" not in env and urlsplit(env["DATABASE_URL"]).password is None, name
        for variable in ("SECRET_KEY_FILE", "DATABASE_PASSWORD_FILE", "REDIS_PASSWORD_FILE"):
            secret = env[variable].removeprefix("/run/secrets/")
            assert secret in service["secrets"] and secret in declared, (name, variable)
            assert declared[secret]["file"].startswith("./secrets/")
    assert services()["postgres"]["environment"]["POSTGRES_PASSWORD_FILE"] == "/run/secrets/postgres_password"
    assert (
        "secrets/" in (BASE_DIR / ".gitignore").read_text().split() and (BASE_DIR / "deploy" / "make-secrets").exists()
    )


def test_env_example_and_compose_name_the_same_variables():
    compose_text = COMPOSE.read_text(encoding="utf-8")
    interpolated = {m.group(1) for m in INTERPOLATION.finditer(compose_text)}
    required = {m.group(1) for m in INTERPOLATION.finditer(compose_text) if (m.group(2) or "").endswith("?")}
    example = env_example()
    assert required <= set(example), f"missing from .env.example: {sorted(required - set(example))}"
    assert set(example) <= interpolated, f"unused by docker-compose.yml: {sorted(set(example) - interpolated)}"
    assert not {"SECRET_KEY", "POSTGRES_PASSWORD", "REDIS_PASSWORD"} & set(example), ".env.example holds no secret"


def test_compose_environment_passes_the_deploy_check(tmp_path):
    """The very environment docker-compose.yml gives web, filled from .env.example."""
    variables = env_example()
    web_env = {k: interpolate(str(v), variables) for k, v in services()["web"]["environment"].items()}
    # The secrets as Docker mounts them: one file each.
    for variable, value in (
        ("SECRET_KEY_FILE", random_secret_key()),
        ("DATABASE_PASSWORD_FILE", "renda2026"),
        ("REDIS_PASSWORD_FILE", "r3dis2026"),
    ):
        secret = tmp_path / variable.lower()
        secret.write_text(value + "\n")
        web_env[variable] = str(secret)
    # The services' names resolve only inside compose's network; the check needs no connection.
    web_env["DATABASE_URL"] = (
        web_env["DATABASE_URL"].replace("@postgres:", "@127.0.0.1:").replace("//postgres:", "//127.0.0.1:")
    )
    web_env["REDIS_URL"] = web_env["REDIS_URL"].replace("//redis:", "//127.0.0.1:")
    web_env["CACHE_URL"] = web_env["CACHE_URL"].replace("//cache:", "//127.0.0.1:")
    web_env["BACKUP_DIR"] = str(tmp_path / "backups")
    web_env["CELERY_BEAT_SCHEDULE_FILE"] = str(tmp_path / "celerybeat-schedule")
    web_env["MEDIA_ROOT"] = str(tmp_path / "media")
    result = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **web_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr


# --- Dockerfile ----------------------------------------------------------------------------


def test_dockerfile_builds_from_files_that_exist():
    assert DOCKERFILE.exists()
    instructions = dockerfile_instructions()
    base = re.fullmatch(r"python:3\.(\d+)-slim(-\w+)?", instructions[0][1])
    assert instructions[0][0] == "FROM" and base and int(base[1]) >= 12, instructions[0]  # Django 6.1
    copied = []
    for instruction, args in instructions:
        if instruction in ("COPY", "ADD"):
            parts = [p for p in shlex.split(args) if not p.startswith("--")]
            for source in parts[:-1]:
                assert (BASE_DIR / source).exists(), f"the Dockerfile copies {source}, which does not exist"
                copied.append(source.rstrip("/"))
    runs = " ".join(args for instruction, args in instructions if instruction == "RUN")
    assert "pip install -r requirements.txt" in runs
    assert "collectstatic" in runs
    # Every app of the project (not third-party packages) is in the image.
    for config in apps.get_app_configs():
        path = Path(config.path)
        if BASE_DIR in path.parents and "site-packages" not in path.parts:
            top = path.relative_to(BASE_DIR).parts[0]
            assert top in copied, f"the Dockerfile does not copy the app {top}/"
    for needed in ("manage.py", "requirements.txt", "templates", "static", "locale"):
        assert needed in copied, needed


def test_dockerignore_keeps_secrets_and_local_state_out():
    ignored = {line.strip() for line in (BASE_DIR / ".dockerignore").read_text().splitlines() if line.strip()}
    assert {".env", ".venv", "var", ".git"} <= ignored
    for instruction, args in dockerfile_instructions():
        if instruction == "COPY":
            for source in shlex.split(args)[:-1]:
                assert source.rstrip("/") not in ignored, f"{source} is copied but excluded by .dockerignore"


# --- manage.py check, in a subprocess --------------------------------------------------------


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = manage(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=random_secret_key(), **PRODUCTION_ENV
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output


@pytest.mark.parametrize("broker", ["memory://", "memory://localhost/"])
def test_a_production_without_a_broker_is_refused(tmp_path, broker):
    env = {**PRODUCTION_ENV, "SECRET_KEY": random_secret_key(), "CELERY_BROKER_URL": broker}
    del env["REDIS_URL"]
    result = manage(tmp_path, "check", **env)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "congress.E001" in output
