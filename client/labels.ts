/**
 * Every word the terminal shows the audience and the presenter, in one place (the talk is in
 * Korean; the transport and the composables speak in codes, this module turns them into text).
 */
import type { ServerMessage } from '../common/protocol.ts'
import type { LinkProblem } from './connection.ts'

export const problemText: Record<LinkProblem, string> = {
  'no-server': '터미널 서버에 연결할 수 없습니다',
  'refused': '서버가 연결을 거부했습니다',
  'lost': '터미널 서버와의 연결이 끊겼습니다',
  'silent': '터미널 서버가 응답하지 않습니다 (멈췄거나 너무 바쁩니다)',
}

export const statusText = {
  connecting: '연결 중…',
  preparing: '준비 중…',
  failed: '준비 실패',
  live: '라이브',
  /** The signal's name when one killed the shell (`종료됨 (SIGKILL)`), else its exit code. */
  exited: (code: number | undefined, signal: string | undefined) => `종료됨 (${signal ?? code ?? '?'})`,
  refused: '연결 거부됨',
  offline: '터미널 서버 없음',
  silent: '응답 없음',
  recording: '녹화',
  noRecording: '녹화 없음',
  missing: (what: string) => `${what} 없음`,
  /** `R` in the recording view could not bring the demo back live: why. */
  cannotGoLive: (why: string) => `라이브로 돌아갈 수 없음: ${why}`,
} as const

/** Written for whoever reads the PDF too: the audience first, the presenter's fix dimmed. */
export function noRecordingScreen(demo: string): string {
  return `이 데모(${demo})는 발표 중에 실제 터미널로 보여 드립니다.\r\n\r\n\x1B[2m녹화가 아직 없습니다: npm run rehearse -- ${demo}\x1B[0m`
}

/** The presenter's demo panel. */
export const panelText = {
  steps: '단계',
  next: '다음',
  expected: '기대 출력',
  elapsed: '경과',
  rehearsed: '리허설',
  waiting: '이전 단계 실행 중… 끝나면 이어서 입력합니다',
  /** The radar: how each typed step is going (server/session/step-radar.ts). */
  radar: {
    typing: '입력 중',
    running: '실행 중',
    done: '완료',
    late: '늦음',
    failed: '실패',
  },
  showRecording: '녹화로 보기 (l)',
  retry: '다시 시도',
  demos: '데모 준비 상태',
  setup: {
    idle: '대기',
    preparing: '준비 중',
    running: '준비됨',
    exited: '종료됨',
    failed: '실패',
  },
} as const

/** The status in the terminal's title bar. `missing` (what this machine lacks) only for the presenter. */
export function statusLabel(status: string, state: Extract<ServerMessage, { type: 'state' }> | undefined, missing: string): string {
  switch (status) {
    case 'connecting': return statusText.connecting
    case 'silent': return statusText.silent
    case 'refused': return statusText.refused
    case 'offline': return statusText.offline
    case 'recording': return missing ? `${statusText.recording} · ${statusText.missing(missing)}` : statusText.recording
    case 'no-recording': return missing ? `${statusText.missing(missing)} · ${statusText.noRecording}` : statusText.noRecording
  }
  switch (state?.phase) {
    case 'preparing': return statusText.preparing
    case 'failed': return statusText.failed
    case 'exited': return statusText.exited(state.exitCode, state.signal)
  }
  return statusText.live
}
