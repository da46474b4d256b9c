#!/bin/sh
echo "안녕하세요! 컨테이너 $(hostname) 안의 PID $$ 입니다"
