import { useTranslation } from 'react-i18next';
import type { SlideTextField } from '../../model/schema.ts';
import { SharedTextField, type SharedTextFieldProps } from '../common/SharedTextField.tsx';
import { useFieldComments } from './useComments.ts';

/** A slide's short field (or its post's caption) with its comment ranges and a Comment button. */
export function CommentableTextField({
  slideId,
  field,
  ...props
}: SharedTextFieldProps & { slideId: string; field: SlideTextField | 'caption' }) {
  const { t } = useTranslation();
  const c = useFieldComments(slideId, field);
  return (
    <SharedTextField
      {...props}
      highlights={c.highlights}
      highlightsKey={c.highlightsKey}
      onComment={c.onComment}
      onHighlightClick={c.onHighlightClick}
      commentLabel={t('comments.commentField', { field: props.label })}
    />
  );
}
