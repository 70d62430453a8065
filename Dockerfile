# The app in a container, for any platform that runs one (Cloud Run, Fly.io, ECS, a VM
# with Docker, Kubernetes). One container = one Streamlit process = one replica; for a
# large class run several behind a load balancer with session affinity (deploy/).
#
#   docker build -t llm-explorables .
#   docker run --rm -p 8501:8501 llm-explorables          # then open http://localhost:8501
#
# Several replicas need the same cookie secret: -e STREAMLIT_SERVER_COOKIE_SECRET=<random>.
# The base image is pinned to a patch release (a rebuild gets the same Python); bump it
# deliberately, together with constraints.txt.
FROM python:3.11.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8501

WORKDIR /app

# the dependencies first: this layer is rebuilt only when they change; requirements.txt
# applies constraints.txt, which pins every transitive dependency
COPY requirements.txt constraints.txt ./
RUN pip install --no-cache-dir -r requirements.txt

# the app itself (.dockerignore keeps tests, benchmarks and local files out)
COPY . .
RUN groupadd --gid 10001 app && useradd --create-home --uid 10001 --gid 10001 app \
    && python -m compileall -q core ui viz pages
# numeric, so that Kubernetes' runAsNonRoot can check it without reading /etc/passwd
USER 10001:10001

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('PORT', '8501')}/_stcore/health\", timeout=4)"]

# .streamlit/config.toml (theme, runner settings) is read from /app; the flags below only
# make the server fit a container: listen on every interface, on $PORT, no file watcher.
CMD ["sh", "-c", "exec streamlit run streamlit_app.py --server.address=0.0.0.0 --server.port=${PORT} --server.headless=true --server.fileWatcherType=none --browser.gatherUsageStats=false"]
