-- Computed columns and one search function so that PostGraphile 5 answers the same CompoundList page as Tongxin.
-- Installed by bench/side_by_side.py into the benchmark database only (never by a migration); each mirrors the
-- resolver named in api/compiled/types.py. "Today" is the Beijing calendar day, as in domain.calendar.
CREATE SCHEMA IF NOT EXISTS bench;

CREATE OR REPLACE FUNCTION bench.beijing_today() RETURNS date LANGUAGE sql STABLE AS
$$ SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date $$;

CREATE OR REPLACE FUNCTION public.compound_serving_firm(c public.compound) RETURNS public.property_firm
LANGUAGE sql STABLE AS $$
  SELECT f.* FROM public.property_firm f WHERE f.id = (
    SELECT cc.firm_id_copy FROM public.contract_compound cc JOIN public.service_contract sc ON sc.id = cc.contract_id
    WHERE cc.compound_id = c.id AND cc.starts_on <= bench.beijing_today() AND cc.ends_on >= bench.beijing_today()
      AND (sc.terminated_on IS NULL OR sc.terminated_on > bench.beijing_today()) ORDER BY cc.id LIMIT 1)
$$;

CREATE OR REPLACE FUNCTION public.property_firm_credit_grade(f public.property_firm) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT pe.grade FROM public.publication_entry pe JOIN public.publication pu ON pu.id = pe.publication_id
  WHERE pe.firm_id = f.id ORDER BY pu.published_at DESC, pe.publication_id DESC LIMIT 1
$$;

CREATE OR REPLACE FUNCTION public.property_firm_listing(f public.property_firm) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT COALESCE((SELECT pe.listing FROM public.publication_entry pe JOIN public.publication pu
    ON pu.id = pe.publication_id WHERE pe.firm_id = f.id ORDER BY pu.published_at DESC, pe.publication_id DESC
    LIMIT 1), 'NONE')
$$;

CREATE OR REPLACE FUNCTION public.compound_owners_committee(c public.compound) RETURNS public.owners_body
LANGUAGE sql STABLE AS $$
  SELECT o.* FROM public.owners_body o WHERE o.compound_id = c.id AND o.status <> 'DISSOLVED'
  ORDER BY o.elected_on DESC, o.id DESC LIMIT 1
$$;

CREATE OR REPLACE FUNCTION public.owners_body_derived_status(o public.owners_body) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN o.status IN ('ACTIVE', 'PREPARING') AND bench.beijing_today() > o.term_ends_on
    THEN 'EXPIRED' ELSE o.status END
$$;

CREATE OR REPLACE FUNCTION public.owners_body_party_member_share(o public.owners_body) RETURNS numeric
LANGUAGE sql STABLE AS $$
  WITH day AS (SELECT LEAST(bench.beijing_today(), COALESCE(o.ended_on, o.term_ends_on), o.term_ends_on) AS d),
  seats AS (SELECT pp.is_party_member FROM public.membership ms JOIN public.person pp ON pp.id = ms.person_id, day
    WHERE ms.body_id = o.body_id AND ms.starts_on <= day.d AND (ms.ends_on IS NULL OR day.d <= ms.ends_on))
  SELECT CASE WHEN count(*) = 0 THEN NULL
    ELSE round(count(*) FILTER (WHERE is_party_member)::numeric / count(*), 4) END FROM seats
$$;

CREATE OR REPLACE FUNCTION public.compound_open_complaint_count(c public.compound) RETURNS integer
LANGUAGE sql STABLE AS $$
  SELECT count(*)::integer FROM public.complaint x WHERE x.compound_id = c.id
    AND x.status IN ('ACCEPTED', 'DISPATCHED', 'IN_PROGRESS', 'RECEIVED', 'RESOLVED', 'RETURN_VISITED')
$$;

CREATE OR REPLACE FUNCTION public.compounds_search(term text) RETURNS SETOF public.compound
LANGUAGE sql STABLE AS $$
  SELECT * FROM public.compound WHERE upper(name) LIKE upper('%' || term || '%')
    OR upper(address) LIKE upper('%' || term || '%') ORDER BY id
$$;
