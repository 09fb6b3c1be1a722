import {
  useContext,
  useEffect,
  useId,
  useRef,
  useState,
  useSyncExternalStore,
  type ClipboardEvent,
  type DragEvent,
} from 'react';
import { useTranslation } from 'react-i18next';
import { formatPercent, uploadErrorMessage } from '../../assets/messages.ts';
import { prepareImage } from '../../assets/prepare.ts';
import { FlashbookAssets, refusalError } from '../../assets/resolver.ts';
import { setSlideImage, type BookNames } from '../../model/slideImage.ts';
import type { SlideView } from '../../model/flashbook.ts';
import { useSession } from '../../session/hooks.ts';
import { AssetContext, useAssetUrl } from '../../slide/assets.tsx';
import './ImageField.css';

export interface ImageFieldProps {
  /** The current image (an asset id), or empty. */
  assetId: string;
  /** Receives the new asset id after an upload, or '' when the image is removed. */
  onChange: (assetId: string) => void;
  /** Visible label, also the accessible name of the field. */
  label: string;
  readOnly?: boolean;
}

type Busy = { phase: 'preparing' } | { phase: 'uploading'; fraction: number };

const ACCEPT = 'image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp';

/**
 * An image of the flashbook (a book cover, the logo): shows it, and uploads a new one picked with
 * the file chooser, dropped onto the field or pasted into it. Large photos are scaled down before
 * upload; progress and the server's refusals are shown in the user's language. Needs an
 * AssetContext whose resolver is a FlashbookAssets to upload; any resolver can show.
 */
export function ImageField({ assetId, onChange, label, readOnly }: ImageFieldProps) {
  const { t, i18n } = useTranslation();
  const resolver = useContext(AssetContext);
  const assets = resolver instanceof FlashbookAssets ? resolver : null;
  const canUpload = !readOnly && assets?.canUpload === true;
  const url = useAssetUrl(assetId);
  const problem = useSyncExternalStore(resolver ? resolver.subscribe : noSubscribe, () =>
    assetId && assets ? assets.problem(assetId) : undefined,
  );
  const uploadState = useSyncExternalStore(resolver ? resolver.subscribe : noSubscribe, () =>
    assetId && assets ? assets.uploadState(assetId) : undefined,
  );
  const refusal = uploadState && refusalError(uploadState);
  const uploadNote = !uploadState
    ? null
    : refusal
      ? t('image.refused', { reason: uploadErrorMessage(t, i18n.language, refusal) })
      : t('image.queued');
  const [busy, setBusy] = useState<Busy | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [size, setSize] = useState<{ url: string; width: number; height: number } | null>(null);
  const dragDepth = useRef(0);
  const labelId = useId();
  const hintId = useId();

  // A file dropped just beside the field would make the browser leave the editor to show it.
  useEffect(() => {
    if (!canUpload) return;
    const guard = (e: globalThis.DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    };
    window.addEventListener('dragover', guard);
    window.addEventListener('drop', guard);
    return () => {
      window.removeEventListener('dragover', guard);
      window.removeEventListener('drop', guard);
    };
  }, [canUpload]);

  const upload = async (files: readonly File[]) => {
    if (!assets || !canUpload || busy) return;
    const file = files.find((f) => f.type.startsWith('image/')) ?? files[0];
    if (!file) {
      setError(t('image.error.noFile'));
      return;
    }
    setError(null);
    setBusy({ phase: 'preparing' });
    try {
      const blob = await prepareImage(file);
      setBusy({ phase: 'uploading', fraction: 0 });
      const asset = await assets.upload(blob, {
        onProgress: (fraction) => setBusy({ phase: 'uploading', fraction }),
      });
      onChange(asset.id);
    } catch (err) {
      setError(uploadErrorMessage(t, i18n.language, err));
    } finally {
      setBusy(null);
    }
  };

  const onDragEnter = (e: DragEvent) => {
    if (!canUpload || !e.dataTransfer.types.includes('Files')) return;
    e.preventDefault();
    dragDepth.current++;
    setDragging(true);
  };
  const onDragOver = (e: DragEvent) => {
    if (!canUpload || !e.dataTransfer.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  };
  const onDragLeave = () => {
    dragDepth.current = Math.max(0, dragDepth.current - 1);
    if (dragDepth.current === 0) setDragging(false);
  };
  const onDrop = (e: DragEvent) => {
    dragDepth.current = 0;
    setDragging(false);
    if (!canUpload) return;
    e.preventDefault();
    void upload([...e.dataTransfer.files]);
  };
  const onPaste = (e: ClipboardEvent) => {
    if (!canUpload) return;
    const files = [...e.clipboardData.items]
      .filter((item) => item.kind === 'file')
      .map((item) => item.getAsFile())
      .filter((f): f is File => f !== null);
    e.preventDefault();
    void upload(files);
  };

  const shownSize = size && size.url === url ? size : null;
  const status = busy
    ? busy.phase === 'preparing'
      ? t('image.preparing')
      : t('image.uploading', { percent: formatPercent(busy.fraction, i18n.language) })
    : null;
  const placeholder = !assetId
    ? t('image.none')
    : problem === 'offline'
      ? t('image.offline')
      : problem === 'missing'
        ? t('image.missing')
        : problem === 'failed'
          ? t('image.failedToLoad')
          : t('image.loading');

  return (
    <div className={`image-field ${readOnly ? 'image-field--readonly' : ''}`}>
      <span className="field__label" id={labelId}>
        {label}
      </span>
      <div
        className={`image-field__zone ${dragging ? 'image-field__zone--drag' : ''}`}
        role="group"
        aria-labelledby={labelId}
        aria-describedby={canUpload ? hintId : undefined}
        aria-busy={busy ? true : undefined}
        tabIndex={canUpload ? 0 : undefined}
        onDragEnter={onDragEnter}
        onDragOver={onDragOver}
        onDragLeave={onDragLeave}
        onDrop={onDrop}
        onPaste={onPaste}
      >
        <div className="image-field__preview">
          {url ? (
            <img
              src={url}
              alt={t('image.preview', { label })}
              onLoad={(e) =>
                setSize({
                  url,
                  width: e.currentTarget.naturalWidth,
                  height: e.currentTarget.naturalHeight,
                })
              }
            />
          ) : (
            <span className="image-field__placeholder">{placeholder}</span>
          )}
        </div>
        <div className="image-field__side">
          {shownSize ? (
            <span className="image-field__size">
              {t('image.size', { width: shownSize.width, height: shownSize.height })}
            </span>
          ) : null}
          {canUpload ? (
            <>
              <p className="image-field__hint" id={hintId} hidden={busy !== null}>
                {t('image.hint')}
              </p>
              <div className="image-field__status" aria-live="polite">
                {status ? (
                  <>
                    <span>{status}</span>
                    <progress
                      max={1}
                      value={busy?.phase === 'uploading' ? busy.fraction : undefined}
                      aria-label={t('image.progress')}
                    />
                  </>
                ) : null}
              </div>
              <div className="image-field__buttons">
                <label className={`image-field__choose ${busy ? 'image-field__choose--off' : ''}`}>
                  {t('image.choose')}
                  <input
                    type="file"
                    className="visually-hidden"
                    accept={ACCEPT}
                    disabled={busy !== null}
                    aria-label={t('image.chooseFor', { label })}
                    onChange={(e) => {
                      const files = [...(e.target.files ?? [])];
                      // Cleared, so that choosing the same file again still uploads it.
                      e.target.value = '';
                      void upload(files);
                    }}
                  />
                </label>
                {assetId ? (
                  <button
                    type="button"
                    disabled={busy !== null}
                    aria-label={t('image.removeFor', { label })}
                    onClick={() => {
                      setError(null);
                      onChange('');
                    }}
                  >
                    {t('image.remove')}
                  </button>
                ) : null}
              </div>
            </>
          ) : null}
        </div>
        {dragging ? (
          <div className="image-field__drop" aria-hidden="true">
            {t('image.dropNow')}
          </div>
        ) : null}
      </div>
      {uploadNote && !error ? (
        <p
          className={`image-field__note ${refusal ? 'image-field__error' : ''}`}
          role={refusal ? 'alert' : 'status'}
        >
          {uploadNote}
        </p>
      ) : null}
      {error ? (
        <p className="image-field__error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

const noSubscribe = () => () => {};

/**
 * The cover image of a book slide. Setting one also fills an empty alt text from the book's
 * author and title, in the user's language; the librarian can then refine it.
 */
export function BookCoverField({ slide, readOnly }: { slide: SlideView; readOnly?: boolean }) {
  const { t } = useTranslation();
  const session = useSession();
  const describe = ({ author, title }: BookNames): string =>
    title && author
      ? t('image.coverAltBy', { title, author })
      : title
        ? t('image.coverAlt', { title })
        : author
          ? t('image.coverAltAuthor', { author })
          : '';
  return (
    <ImageField
      label={t('image.cover')}
      assetId={slide.image}
      readOnly={readOnly}
      onChange={(assetId) => setSlideImage(session.doc, slide.id, assetId, describe)}
    />
  );
}
