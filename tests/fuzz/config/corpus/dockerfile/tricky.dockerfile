# syntax=docker/dockerfile:1.7
# escape=\

# a plain comment
ARG BASE=alpine
ARG TAG
ARG REG=docker.io/library
FROM --platform=$BUILDPLATFORM ${REG}/${BASE}:${TAG:-3.19} AS Builder
ARG BASE
ENV A=1 B=$A
ENV A=2 C="${A} x" D=${B:+set}
run --mount=type=cache,target=/root/.cache \
    --network=none \
  # comment inside continuation

    apk add --no-cache curl \
    && echo "$A \$A ${A-x} ${NOPE-dflt} ${NOPE:+y}" '$A'
RUN <<EOF
set -e
echo hi $A
EOF
RUN <<-"END" cat >/out <<'TWO'
	tabbed line
		END
second $A
TWO
COPY --chown=1000:1000 --chmod=0755 --link <<EOF /etc/conf
content
EOF
COPY ["a b", "$A", "/dst/"]
CMD ["sh", "-c", "echo $A"]
ENTRYPOINT ["broken json
HEALTHCHECK --interval=30s --timeout=3s CMD curl -f http://localhost/ || exit 1
ONBUILD RUN echo onbuild
FROM builder AS second
COPY --from=builder /out /out
COPY --from=0 /x /y
HEALTHCHECK NONE
USER ${A}
EXPOSE 80/tcp 443
LABEL maintainer="me <me@x>" version=1.0
ENV legacy form value
WORKDIR /app
SHELL ["/bin/bash", "-c"]
STOPSIGNAL SIGTERM
VOLUME /data /logs
MAINTAINER someone
