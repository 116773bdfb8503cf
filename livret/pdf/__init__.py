"""From HTML to PDF: WeasyPrint, the URL fetcher, the one-page fit, paper, output checks."""
