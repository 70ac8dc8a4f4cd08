import type { ReportGroup } from '../api.ts';
import { ShareGauge } from '../charts.ts';
import { html } from '../html.ts';
import { formatNumber, t } from '../i18n.ts';

const BASES = ['explicit', 'model', 'caution', 'person'] as const;
const pct = (share: number | null | undefined) =>
  share === null || share === undefined ? '–' : `${formatNumber(share * 100)}%`;

/**
 * How often people changed what the platform decided: the share of automatic classifications staff changed, and,
 * for readers of restricted cases, the share of the platform's restrictions a focal point lifted after review,
 * by what the restriction rested on (many lifted restrictions by caution would mean the PSEA desk is flooded).
 */
export function Reclassifications(props: { total: ReportGroup }) {
  const { classification, downgraded } = props.total;
  return html`<div id="reclassifications">
    <div class="charts">
      ${
        classification
          ? html`<div class="chart-card"><h2>${t('classificationsChanged')}</h2>
              <${ShareGauge} id="classifications-changed" title=${t('classificationsChanged')}
                part=${classification.changedByOfficer} whole=${classification.automatic}
                hint=${t('classificationsChangedHint', { n: formatNumber(classification.automatic) })} /></div>`
          : null
      }
      ${
        downgraded
          ? html`<div class="chart-card"><h2>${t('downgradesTitle')}</h2>
              <${ShareGauge} id="downgraded" title=${t('downgradesTitle')} part=${downgraded.downgraded}
                whole=${downgraded.restricted} hint=${t('downgradesHint')} /></div>`
          : null
      }
    </div>
    ${
      downgraded
        ? html`<h2>${t('downgradesTitle')}</h2>
          <div class="table-wrap"><table class="report-table" data-report="downgrades">
            <thead><tr><th scope="col">${t('downgradeBasis')}</th><th scope="col">${t('downgradeRestricted')}</th>
              <th scope="col">${t('downgradeLifted')}</th><th scope="col">${t('downgradeShare')}</th></tr></thead>
            <tbody>${BASES.map((b) => {
              const f = downgraded.byBasis[b];
              return html`<tr data-basis=${b}><th scope="row">${t(`basis_${b}`)}</th>
                <td>${formatNumber(f.restricted)}</td><td>${formatNumber(f.downgraded)}</td><td>${pct(f.share)}</td></tr>`;
            })}</tbody>
          </table></div>`
        : null
    }
  </div>`;
}
