// Finish step: GitHub Actions `::error` annotations for the failures, file paths relative to the repository root.
import { formatAnnotations } from '../../report/index.js'
import type { Finishing } from '../compose.js'

export function annotate({ request, summary, hooks }: Finishing): void {
  if (!request.annotate) return
  const annotations = formatAnnotations(summary, request.annotate)
  if (annotations) hooks.onAnnotations?.(annotations)
}
