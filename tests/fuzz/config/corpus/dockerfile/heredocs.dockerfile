FROM alpine
RUN <<A <<B cat - /dev/fd/3
first A
A
first B
B
RUN 3<<EOF sh -c "cat <&3"
$HOME stays
EOF
RUN <<EOF
EOF
ONBUILD RUN <<X
inside onbuild
X
RUN cat <<EOF | sh
echo "not <<NESTED"
EOF
RUN echo "<<NOT a heredoc" && echo x<<<y
RUN ["sh", "-c", "cat <<EOF"]
COPY <<one <<two /dst/
one body
one
two body
two
