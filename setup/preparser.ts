// The headmatter's `cut` and `backups` switches: a left-out slide gets Slidev's `hide`, which
// drops it from the deck (numbers, navigation, prepare-ahead). Slidev reads this on start.
import { definePreparserSetup } from '@slidev/types'
import { cutChoice, isLeftOut } from '../common/cut.ts'

export default definePreparserSetup(({ headmatter }) => {
  const choice = cutChoice(headmatter)
  return [{
    name: 'talk-cut',
    async transformSlide(_content, frontmatter) {
      if (isLeftOut(frontmatter, choice))
        frontmatter.hide = true
      return undefined
    },
  }]
})
