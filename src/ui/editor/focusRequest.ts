/**
 * "Put the caret in this slide's first field once its form is shown": asked for by the commands
 * that create a slide (Add slide, Add post), taken by the slide form when it renders that slide. A
 * keyboard user goes straight on typing instead of tabbing through every thumbnail.
 */
let pending: string | null = null;

export function requestFirstFieldFocus(slideId: string): void {
  pending = slideId;
}

/** True once for the slide that was asked for. */
export function takeFirstFieldFocus(slideId: string): boolean {
  if (pending !== slideId) return false;
  pending = null;
  return true;
}
