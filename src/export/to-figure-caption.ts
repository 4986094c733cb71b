/** The caption a figure is published with: bookrun's label and the author's caption (`Figure 17-3: The rollout`). */
export function toFigureCaption(figure: { label: string; caption: string }): string {
  return figure.caption ? `${figure.label}: ${figure.caption}` : figure.label;
}
