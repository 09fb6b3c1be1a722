import { createContext, useContext } from 'react';

/**
 * What the editor's right column shows besides the selected slide's form: the Design panel or
 * the caption panel of one post. The sidebar's post headers, the slide form and the export
 * dialog's "Show" open the caption panel of a post through this.
 */
export interface EditorPanels {
  /** The post whose caption panel is open, or null. */
  captionPostId: string | null;
  openCaption: (postId: string) => void;
  /** Closes the Design and caption panels: the slide form is shown (after adding a slide). */
  showSlideForm: () => void;
}

export const EditorPanelsContext = createContext<EditorPanels>({
  captionPostId: null,
  openCaption: () => {},
  showSlideForm: () => {},
});

export function useEditorPanels(): EditorPanels {
  return useContext(EditorPanelsContext);
}
