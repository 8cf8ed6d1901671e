/**
 * Markdown to safe HTML for the preview and the print page (browser only:
 * DOMPurify needs a DOM). Raw HTML in the text is allowed through DOMPurify,
 * which removes scripts, event-handler attributes and `javascript:` URLs.
 */
import DOMPurify from 'dompurify';
import { marked } from 'marked';

let hooked = false;

function addLinkHook(): void {
	if (hooked) return;
	hooked = true;
	DOMPurify.addHook('afterSanitizeAttributes', (node) => {
		// Links open outside the editor and cannot reach back into this page.
		if (node.tagName === 'A' && node.getAttribute('href')) {
			node.setAttribute('target', '_blank');
			node.setAttribute('rel', 'noopener noreferrer');
		}
	});
}

export function renderMarkdown(text: string): string {
	addLinkHook();
	const html = marked.parse(text, { async: false, gfm: true, breaks: false });
	return DOMPurify.sanitize(html, {
		USE_PROFILES: { html: true },
		FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe'],
		FORBID_ATTR: ['style']
	});
}
